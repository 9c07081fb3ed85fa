// tail — GNU-compatible tail (Guest/Libraries/Utilities/, checked against GNU coreutils by Tests/UtilitiesTests).
import UtilitiesGuest

runUtility("tail")
