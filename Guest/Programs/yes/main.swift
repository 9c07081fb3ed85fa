// yes — GNU-compatible yes (Guest/Libraries/Utilities/, checked against GNU coreutils by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Yes.run($0, $1) }
