// fgrep — GNU-compatible fgrep (GNU grep 3.8's script: a warning, then grep -F) (Guest/Libraries/Utilities/, checked against GNU by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Grep.runObsolescent("fgrep", $0, $1) }
