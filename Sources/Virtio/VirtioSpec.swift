// VirtioSpec.swift — the virtio 1.2 numbers (device IDs, status bits, feature bits, the MMIO register
// map, descriptor flags, virtio-blk's numbers) come from the VirtioSpec module, shared by path with
// the guest's driver (Guest/Libraries/VirtioSpec); re-exported so every file here and every user of
// Virtio sees them as before.
@_exported import VirtioSpec
