/* segments.S — void sv_reload_segments(uint16_t code, uint16_t data): di = code, si = data;
 * after lgdt, reload CS with a far return and the data segment registers. */
        .text
        .globl  sv_reload_segments
sv_reload_segments:
        mov     %si, %ds
        mov     %si, %es
        mov     %si, %ss
        xor     %eax, %eax
        mov     %ax, %fs
        mov     %ax, %gs
        pop     %rax                            /* return address */
        movzwq  %di, %rdi
        push    %rdi
        push    %rax
        lretq
