// hexdump — GNU-compatible hexdump (Guest/Libraries/Utilities/, checked against GNU by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Hexdump.run($0, $1) }
