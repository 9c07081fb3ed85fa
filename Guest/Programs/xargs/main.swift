// xargs — GNU-compatible xargs (Guest/Libraries/Utilities/, checked against GNU by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Xargs.run($0, $1) }
