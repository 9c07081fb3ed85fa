// whoami — GNU-compatible whoami (Guest/Libraries/Utilities/, checked against GNU by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Whoami.run($0, $1) }
