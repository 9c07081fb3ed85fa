// cat — GNU-compatible cat (Guest/Libraries/Utilities/, checked against GNU coreutils by Tests/UtilitiesTests).
import UtilitiesGuest

runUtility("cat")
