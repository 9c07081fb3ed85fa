// ls — GNU-compatible ls (Guest/Libraries/Utilities/Ls.swift, checked against GNU coreutils by
// Tests/UtilitiesTests/LsTests.swift). What -l shows in the guest: no symbolic or hard links can be
// made here, so the link count is the file system's and no "->" appears; every file is root's
// (owner and group "root"); times are UTC.
import Utilities
import UtilitiesGuest

runUtility { Ls.run($0, $1) }
