// head — GNU-compatible head (Guest/Libraries/Utilities/, checked against GNU coreutils by Tests/UtilitiesTests).
import UtilitiesGuest

runUtility("head")
