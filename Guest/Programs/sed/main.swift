// sed — GNU-compatible sed (Guest/Libraries/Utilities/Sed.swift, checked against GNU sed by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Sed.run($0, $1) }
