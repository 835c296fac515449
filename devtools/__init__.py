"""Development tools, never installed with the kiosk: ``python -m devtools.screenshots``
renders every kiosk screen, ``python -m devtools.i18n_build`` refreshes the Qt catalogues.
``./dev screenshots`` and ``./dev translations`` run them."""
