// EntropyConfig.swift — the entropy device's fixed numbers (virtio 1.2 §5.4): one request queue,
// no feature bits (§5.4.3), no configuration space (§5.4.4).

public enum EntropyConfig {
    /// §5.4.2: queue 0 is the requestq.
    public static let requestQueue = 0
    /// QueueNumMax offered by default.
    public static let defaultQueueSize: UInt16 = 256
    /// Bytes served per request at most: §5.4.6.2 lets the device "use less than the entire buffer
    /// length", which bounds the host work one guest request can cause.
    public static let maxBytesPerRequest = 64 * 1024
    /// §5.4.3 "None currently defined".
    public static let features: UInt64 = 0
}
