// stat — GNU-compatible stat (Guest/Libraries/Utilities/, checked against GNU by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Stat.run($0, $1) }
