// uniq — GNU-compatible uniq (Guest/Libraries/Utilities/, checked against GNU coreutils by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Uniq.run($0, $1) }
