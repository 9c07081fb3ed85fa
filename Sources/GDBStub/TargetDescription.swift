// TargetDescription.swift — the target.xml served by `qXfer:features:read` (gdb manual "Target
// Descriptions"), generated from `X86_64Register` so the XML and the `g` layout are one table.
//
// What gdb 13 needs for amd64 (checked with `set tdesc filename` + `maint print remote-registers`):
// `org.gnu.gdb.i386.core` with the 16 GPRs, rip, eflags, six selectors *and* the x87 registers
// st0–st7, fctrl … fop (without x87 gdb rejects the description); `org.gnu.gdb.i386.sse` is optional
// but the guest kernel uses SSE; `org.gnu.gdb.i386.segments` makes gdb treat fs_base/gs_base as its
// own $fs_base/$gs_base. Registers gdb does not know (k_gs_base, control registers) may live in any
// other feature; gdb shows them under their names in `info registers` / `info all-registers`.

public enum TargetDescription {
    /// The annex gdb asks for first; the only one we serve.
    public static let annex = "target.xml"

    /// The feature each register belongs to.
    public static func feature(of register: X86_64Register) -> String {
        switch register {
        case .fsBase, .gsBase: return "org.gnu.gdb.i386.segments"
        case .kernelGSBase, .cr0, .cr2, .cr3, .cr4, .cr8, .efer: return "org.swiftvm.x86-64.system"
        case _ where register.isXMM, .mxcsr: return "org.gnu.gdb.i386.sse"
        default: return "org.gnu.gdb.i386.core"
        }
    }

    /// The gdb type of each register (builtin types, or the flags/union types declared below).
    static func type(of register: X86_64Register) -> String {
        switch register {
        case .rbp, .rsp: return "data_ptr"
        case .rip: return "code_ptr"
        case .eflags: return "i386_eflags"
        case .cs, .ss, .ds, .es, .fs, .gs: return "int32"
        case _ where register.isX87Data: return "i387_ext"
        case _ where register.isXMM: return "vec128"
        case .fctrl, .fstat, .ftag, .fiseg, .fioff, .foseg, .fooff, .fop: return "int"
        case .mxcsr: return "i386_mxcsr"
        case .cr0: return "x86_cr0"
        case .cr4: return "x86_cr4"
        case .efer: return "x86_efer"
        case .cr2, .cr3: return "data_ptr"
        default: return "int64"
        }
    }

    static func group(of register: X86_64Register) -> String? {
        switch register {
        case .fctrl, .fstat, .ftag, .fiseg, .fioff, .foseg, .fooff, .fop: return "float"
        case .mxcsr: return "vector"
        default: return nil
        }
    }

    /// Bit fields gdb prints as `[ PE MP ... ]` (Intel SDM vol. 3 §2.5 for CR0/CR4, §2.2.1 for EFER).
    static let flagTypes: [(feature: String, id: String, size: Int, fields: [(String, Int)])] = [
        ("org.gnu.gdb.i386.core", "i386_eflags", 4,
         [("CF", 0), ("", 1), ("PF", 2), ("AF", 4), ("ZF", 6), ("SF", 7), ("TF", 8), ("IF", 9), ("DF", 10),
          ("OF", 11), ("NT", 14), ("RF", 16), ("VM", 17), ("AC", 18), ("VIF", 19), ("VIP", 20), ("ID", 21)]),
        ("org.gnu.gdb.i386.sse", "i386_mxcsr", 4,
         [("IE", 0), ("DE", 1), ("ZE", 2), ("OE", 3), ("UE", 4), ("PE", 5), ("DAZ", 6), ("IM", 7), ("DM", 8),
          ("ZM", 9), ("OM", 10), ("UM", 11), ("PM", 12), ("FZ", 15)]),
        ("org.swiftvm.x86-64.system", "x86_cr0", 8,
         [("PE", 0), ("MP", 1), ("EM", 2), ("TS", 3), ("ET", 4), ("NE", 5), ("WP", 16), ("AM", 18), ("NW", 29),
          ("CD", 30), ("PG", 31)]),
        ("org.swiftvm.x86-64.system", "x86_cr4", 8,
         [("VME", 0), ("PVI", 1), ("TSD", 2), ("DE", 3), ("PSE", 4), ("PAE", 5), ("MCE", 6), ("PGE", 7),
          ("PCE", 8), ("OSFXSR", 9), ("OSXMMEXCPT", 10), ("UMIP", 11), ("LA57", 12), ("VMXE", 13),
          ("SMXE", 14), ("FSGSBASE", 16), ("PCIDE", 17), ("OSXSAVE", 18), ("SMEP", 20), ("SMAP", 21),
          ("PKE", 22)]),
        ("org.swiftvm.x86-64.system", "x86_efer", 8,
         [("SCE", 0), ("LME", 8), ("LMA", 10), ("NXE", 11), ("SVME", 12), ("LMSLE", 13), ("FFXSR", 14),
          ("TCE", 15)]),
    ]

    /// The complete target.xml, one document (no xi:include).
    public static let xml: String = {
        var out = """
            <?xml version="1.0"?>
            <!DOCTYPE target SYSTEM "gdb-target.dtd">
            <target version="1.0">
            <architecture>i386:x86-64</architecture>

            """
        var features: [String] = []
        for r in X86_64Register.allCases where !features.contains(feature(of: r)) { features.append(feature(of: r)) }
        for name in features {
            out += "<feature name=\"\(name)\">\n"
            if name == "org.gnu.gdb.i386.sse" {
                out += """
                    <vector id="v4f" type="ieee_single" count="4"/>
                    <vector id="v2d" type="ieee_double" count="2"/>
                    <vector id="v16i8" type="int8" count="16"/>
                    <vector id="v8i16" type="int16" count="8"/>
                    <vector id="v4i32" type="int32" count="4"/>
                    <vector id="v2i64" type="int64" count="2"/>
                    <union id="vec128">
                    <field name="v4_float" type="v4f"/>
                    <field name="v2_double" type="v2d"/>
                    <field name="v16_int8" type="v16i8"/>
                    <field name="v8_int16" type="v8i16"/>
                    <field name="v4_int32" type="v4i32"/>
                    <field name="v2_int64" type="v2i64"/>
                    <field name="uint128" type="uint128"/>
                    </union>

                    """
            }
            for flags in flagTypes where flags.feature == name {
                out += "<flags id=\"\(flags.id)\" size=\"\(flags.size)\">\n"
                for (field, bit) in flags.fields {
                    out += "<field name=\"\(field)\" start=\"\(bit)\" end=\"\(bit)\"/>\n"
                }
                out += "</flags>\n"
            }
            for r in X86_64Register.allCases where feature(of: r) == name {
                out += "<reg name=\"\(r.name)\" bitsize=\"\(r.size * 8)\" type=\"\(type(of: r))\" regnum=\"\(r.rawValue)\""
                if let g = group(of: r) { out += " group=\"\(g)\"" }
                out += "/>\n"
            }
            out += "</feature>\n"
        }
        out += "</target>\n"
        return out
    }()

    /// The bytes of target.xml, as `qXfer` serves them.
    public static let bytes: [UInt8] = Array(xml.utf8)
}
