// seq — GNU-compatible seq (Guest/Libraries/Utilities/, checked against GNU coreutils by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Seq.run($0, $1) }
