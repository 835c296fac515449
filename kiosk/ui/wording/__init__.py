"""Every sentence the kiosk says about a condition, in one place, through Qt's translation
system: validation problems (:mod:`.problems`), staff notices, the save-failed text and the
PIN messages (:mod:`.notices`), the sync status for the staff screen (:mod:`.sync`), each case
type's questions and the stages (:mod:`.cases`), and what receipts and "Consultar un folio"
say (:mod:`.receipts`).

Where a sentence depends on a code the wording is a table (code -> sentence). Each sentence is
a literal inside ``QCoreApplication.translate(context, "...")`` so ``lupdate`` extracts it.
"""
