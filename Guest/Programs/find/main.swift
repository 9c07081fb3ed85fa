// find — GNU-compatible find (Guest/Libraries/Utilities/Find.swift, checked against GNU findutils
// by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Find.run($0, $1) }
