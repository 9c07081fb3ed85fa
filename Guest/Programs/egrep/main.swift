// egrep — GNU-compatible egrep (GNU grep 3.8's script: a warning, then grep -E) (Guest/Libraries/Utilities/, checked against GNU by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Grep.runObsolescent("egrep", $0, $1) }
