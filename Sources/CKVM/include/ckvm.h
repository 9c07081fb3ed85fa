/* ckvm.h — C shim for <linux/kvm.h>: the ioctl request codes as constants (Swift cannot import the
 * _IO/_IOW/_IOR macros) and non-variadic ioctl wrappers (Swift cannot call variadic C functions).
 * No logic lives here. */
#ifndef CKVM_H
#define CKVM_H
#include <linux/kvm.h>
#include <sys/ioctl.h>
#include <stdint.h>

static const unsigned long CKVM_GET_API_VERSION = KVM_GET_API_VERSION;
static const unsigned long CKVM_CREATE_VM = KVM_CREATE_VM;
static const unsigned long CKVM_GET_VCPU_MMAP_SIZE = KVM_GET_VCPU_MMAP_SIZE;
static const unsigned long CKVM_GET_SUPPORTED_CPUID = KVM_GET_SUPPORTED_CPUID;
static const unsigned long CKVM_CHECK_EXTENSION = KVM_CHECK_EXTENSION;
static const unsigned long CKVM_SET_USER_MEMORY_REGION = KVM_SET_USER_MEMORY_REGION;
static const unsigned long CKVM_CREATE_IRQCHIP = KVM_CREATE_IRQCHIP;
static const unsigned long CKVM_CREATE_PIT2 = KVM_CREATE_PIT2;
static const unsigned long CKVM_CREATE_VCPU = KVM_CREATE_VCPU;
static const unsigned long CKVM_IOEVENTFD = KVM_IOEVENTFD;
static const unsigned long CKVM_IRQFD = KVM_IRQFD;
static const unsigned long CKVM_IRQ_LINE = KVM_IRQ_LINE;
static const unsigned long CKVM_SIGNAL_MSI = KVM_SIGNAL_MSI;
static const unsigned long CKVM_SET_TSS_ADDR = KVM_SET_TSS_ADDR;
static const unsigned long CKVM_SET_IDENTITY_MAP_ADDR = KVM_SET_IDENTITY_MAP_ADDR;
static const unsigned long CKVM_RUN = KVM_RUN;
static const unsigned long CKVM_GET_REGS = KVM_GET_REGS;
static const unsigned long CKVM_SET_REGS = KVM_SET_REGS;
static const unsigned long CKVM_GET_SREGS = KVM_GET_SREGS;
static const unsigned long CKVM_SET_SREGS = KVM_SET_SREGS;
static const unsigned long CKVM_SET_CPUID2 = KVM_SET_CPUID2;
static const unsigned long CKVM_GET_MSRS = KVM_GET_MSRS;
static const unsigned long CKVM_SET_MSRS = KVM_SET_MSRS;
static const unsigned long CKVM_GET_FPU = KVM_GET_FPU;
static const unsigned long CKVM_SET_FPU = KVM_SET_FPU;
static const unsigned long CKVM_GET_MP_STATE = KVM_GET_MP_STATE;
static const unsigned long CKVM_SET_MP_STATE = KVM_SET_MP_STATE;
static const unsigned long CKVM_SET_GUEST_DEBUG = KVM_SET_GUEST_DEBUG;
static const unsigned long CKVM_TRANSLATE = KVM_TRANSLATE;
static const unsigned long CKVM_GET_TSC_KHZ = KVM_GET_TSC_KHZ;
static const unsigned long CKVM_GET_VCPU_EVENTS = KVM_GET_VCPU_EVENTS;
static const unsigned long CKVM_GET_DEBUGREGS = KVM_GET_DEBUGREGS;
static const unsigned long CKVM_SET_DEBUGREGS = KVM_SET_DEBUGREGS;

static const uint32_t CKVM_IOEVENTFD_FLAG_PIO = KVM_IOEVENTFD_FLAG_PIO;
static const uint32_t CKVM_IOEVENTFD_FLAG_DATAMATCH = KVM_IOEVENTFD_FLAG_DATAMATCH;

static inline int ckvm_ioctl_ptr(int fd, unsigned long request, void *arg) { return ioctl(fd, request, arg); }
static inline int ckvm_ioctl_val(int fd, unsigned long request, unsigned long arg) { return ioctl(fd, request, arg); }

/* kvm_run's exit-specific union members are anonymous in the kernel header; these accessors give
 * Swift a name for each one it uses. */
static inline struct kvm_run_io_view { uint8_t direction, size; uint16_t port; uint32_t count; uint64_t data_offset; }
ckvm_run_io(const struct kvm_run *r) {
    struct kvm_run_io_view v = { r->io.direction, r->io.size, r->io.port, r->io.count, r->io.data_offset };
    return v;
}
static inline uint64_t ckvm_run_mmio_addr(const struct kvm_run *r) { return r->mmio.phys_addr; }
static inline uint32_t ckvm_run_mmio_len(const struct kvm_run *r) { return r->mmio.len; }
static inline uint8_t ckvm_run_mmio_is_write(const struct kvm_run *r) { return r->mmio.is_write; }
static inline uint8_t *ckvm_run_mmio_data(struct kvm_run *r) { return r->mmio.data; }
static inline uint32_t ckvm_run_internal_suberror(const struct kvm_run *r) { return r->internal.suberror; }
static inline uint32_t ckvm_run_internal_ndata(const struct kvm_run *r) { return r->internal.ndata; }
static inline uint64_t ckvm_run_internal_data(const struct kvm_run *r, unsigned i) { return i < 16 ? r->internal.data[i] : 0; }
static inline uint64_t ckvm_run_fail_entry_reason(const struct kvm_run *r) { return r->fail_entry.hardware_entry_failure_reason; }
static inline uint32_t ckvm_run_system_event_type(const struct kvm_run *r) { return r->system_event.type; }
static inline uint32_t ckvm_run_debug_exception(const struct kvm_run *r) { return r->debug.arch.exception; }
static inline uint64_t ckvm_run_debug_pc(const struct kvm_run *r) { return r->debug.arch.pc; }
static inline uint64_t ckvm_run_debug_dr6(const struct kvm_run *r) { return r->debug.arch.dr6; }
static inline uint64_t ckvm_run_debug_dr7(const struct kvm_run *r) { return r->debug.arch.dr7; }

#endif
