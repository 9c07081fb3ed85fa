// readlink — GNU-compatible readlink (Guest/Libraries/Utilities/, checked against GNU coreutils by
// Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Readlink.run($0, $1) }
