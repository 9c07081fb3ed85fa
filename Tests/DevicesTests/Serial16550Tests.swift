// Serial16550Tests.swift — the UART state machine: transmit, receive FIFO, divisor latch, line
// status, interrupt identification and the interrupt line (PC16550D datasheet).
import Devices
import Testing

@Test func transmitsBytesWrittenToTHR() {
    var uart = Serial16550()
    #expect(uart.write(offset: 0, value: 0x41) == 0x41)
    #expect(uart.read(offset: 5) & 0x60 == 0x60)          // THRE and TEMT: always ready
}

@Test func divisorLatchDoesNotTransmit() {
    var uart = Serial16550()
    _ = uart.write(offset: 3, value: 0x80)                // DLAB
    #expect(uart.write(offset: 0, value: 0x01) == nil)
    #expect(uart.write(offset: 1, value: 0x02) == nil)
    #expect(uart.read(offset: 0) == 0x01)
    #expect(uart.read(offset: 1) == 0x02)
    _ = uart.write(offset: 3, value: 0x03)
    #expect(uart.write(offset: 0, value: 0x42) == 0x42)
}

@Test func receiveFIFOAndDataReady() {
    var uart = Serial16550()
    #expect(uart.read(offset: 5) & 1 == 0)
    uart.receive(0x61)
    uart.receive(0x62)
    #expect(uart.read(offset: 5) & 1 == 1)
    #expect(uart.read(offset: 0) == 0x61)
    #expect(uart.read(offset: 0) == 0x62)
    #expect(uart.read(offset: 5) & 1 == 0)
    #expect(uart.read(offset: 0) == 0)                    // empty FIFO reads 0
}

@Test func overrunWhenTheFIFOIsFull() {
    var uart = Serial16550()
    for i in 0..<Serial16550.fifoCapacity {
        let accepted = uart.receive(UInt8(i))
        #expect(accepted)
    }
    #expect(!uart.canAcceptInput)
    let acceptedWhenFull = uart.receive(0xff)
    #expect(!acceptedWhenFull)
    #expect(uart.read(offset: 5) & 0x02 != 0)             // OE, cleared by reading LSR
    #expect(uart.read(offset: 5) & 0x02 == 0)
    #expect(uart.read(offset: 0) == 0)
}

@Test func receiveInterrupt() {
    var uart = Serial16550()
    uart.receive(1)
    #expect(!uart.interruptAsserted)                      // IER off
    _ = uart.write(offset: 1, value: 0x01)
    #expect(uart.interruptAsserted)
    #expect(uart.read(offset: 2) & 0x0f == 0x04)          // received data available
    _ = uart.read(offset: 0)
    #expect(!uart.interruptAsserted)
    #expect(uart.read(offset: 2) & 0x01 == 0x01)          // no interrupt pending
}

@Test func transmitterEmptyInterrupt() {
    var uart = Serial16550()
    _ = uart.write(offset: 1, value: 0x02)                // enabling THRE fires at once
    #expect(uart.interruptAsserted)
    #expect(uart.read(offset: 2) & 0x0f == 0x02)
    #expect(!uart.interruptAsserted)                      // reading IIR cleared it
    _ = uart.write(offset: 0, value: 0x41)
    #expect(uart.interruptAsserted)
}

@Test func loopbackAndScratch() {
    var uart = Serial16550()
    _ = uart.write(offset: 7, value: 0x5a)
    #expect(uart.read(offset: 7) == 0x5a)
    _ = uart.write(offset: 4, value: 0x10)                // MCR loop
    #expect(uart.write(offset: 0, value: 0x33) == nil)
    #expect(uart.read(offset: 0) == 0x33)
}

@Test func fifoControlClearsReceiveFIFO() {
    var uart = Serial16550()
    uart.receive(1)
    _ = uart.write(offset: 2, value: 0x03)
    #expect(uart.read(offset: 5) & 1 == 0)
    #expect(uart.read(offset: 2) & 0xc0 == 0xc0)          // FIFOs enabled
}
