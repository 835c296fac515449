"""Pure domain rules of the kiosk: vocabulary, identifiers, validators. No I/O, no Qt."""
