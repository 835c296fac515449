"""Every sentence the kiosk says about a condition, in one place, through Qt's translation
system: validation problems (:mod:`.problems`), staff notices, the save-failed text and the
PIN messages (:mod:`.notices`), and the sync status for the staff screen (:mod:`.sync`).

Where a sentence depends on a code the wording is a table (code -> sentence). Each sentence is
a literal inside ``QCoreApplication.translate(context, "...")`` so ``lupdate`` extracts it.
"""
