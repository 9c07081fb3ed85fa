// uniq — GNU-compatible uniq (Guest/Libraries/Utilities/, checked against GNU coreutils by Tests/UtilitiesTests).
import UtilitiesGuest

runUtility("uniq")
