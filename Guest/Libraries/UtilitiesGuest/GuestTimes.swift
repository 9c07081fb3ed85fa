// GuestTimes.swift — GuestIO's TimeIO (touch): the file server's SETATTR with SV_FS_SET_TIMES.
// RedoxFS keeps a modification time only, so a change of the access time alone does nothing.
import ABI
import Utilities
import UserLib

extension GuestIO: TimeIO {
    public func setTimes(_ path: String, accessed: Timestamp?, modified: Timestamp?) -> Result<Void, SystemError> {
        guard let time = modified else { return .success(()) }
        let (scaled, overflow) = time.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return .failure(SystemError(75)) }   // EOVERFLOW, as utimensat past its range
        let nanoseconds = scaled.addingReportingOverflow(time.nanoseconds)
        guard !nanoseconds.overflow else { return .failure(SystemError(75)) }
        switch Files.setModificationTime(path, nanoseconds: nanoseconds.partialValue) {
        case .success: return .success(())
        case .failure(let e): return .failure(SystemError(e.code))
        }
    }

    /// The kernel keeps no umask; a program starts with 022 (Guest/Libraries/Posix's header), so
    /// a new file gets 0644, as GNU's touch gives under that umask.
    public func createFile(_ path: String) -> Result<Void, SystemError> {
        switch Unix.open(path, SV_O_WRONLY | SV_O_CREAT | SV_O_CLOEXEC, mode: 0o644) {
        case .success(let fd): _ = Unix.close(fd); return .success(())
        case .failure(let e): return .failure(SystemError(e.code))
        }
    }
}
