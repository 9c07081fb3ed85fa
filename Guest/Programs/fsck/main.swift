// fsck — asks the file server to verify every checksum and invariant of the mounted filesystem.
// Exit status 0: clean; 1: damage found (listed); 2: could not check.
import UserLib

switch Files.check() {
case .failure(let e):
    print("fsck: \(e.description)")
    System.exit(2)
case .success(let (report, problems)):
    print(report, terminator: "")
    System.exit(problems == 0 ? 0 : 1)
}
