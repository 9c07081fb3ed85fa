// md5sum — GNU-compatible md5sum (Guest/Libraries/Utilities/, checked against GNU by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Md5sum.run($0, $1) }
