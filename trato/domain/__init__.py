"""Pure domain rules shared by kiosk and central: vocabulary, identifiers, validators,
folios and business-day deadlines. No I/O, no Qt."""
