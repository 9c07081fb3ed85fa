// xxd — GNU-compatible xxd (vim's hex dump: plain, -p, -i, -r) (Guest/Libraries/Utilities/, checked against GNU by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Xxd.run($0, $1) }
