// Assert.swift — what <assert.h>'s assert calls when its expression is false (C11 7.2.1.1): the
// message glibc prints ("file:line: function: Assertion `expression' failed.") on standard error,
// then abort.

@_cdecl("__assert_fail")
public func assertFail(_ expression: UnsafePointer<CChar>, _ file: UnsafePointer<CChar>, _ line: UInt32,
                       _ function: UnsafePointer<CChar>?) {
    var message: [UInt8] = []
    message += cStringBytes(file)
    message += Array(":\(line): ".utf8)
    if let function { message += cStringBytes(function); message += Array(": ".utf8) }
    message += Array("Assertion `".utf8)
    message += cStringBytes(expression)
    message += Array("' failed.\n".utf8)
    _ = message.withUnsafeBytes { cWrite(2, $0.baseAddress!, $0.count) }
    abortProgram()
}
