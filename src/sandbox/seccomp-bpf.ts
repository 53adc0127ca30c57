/**
 * A minimal assembler for the classic BPF programs that seccomp runs (seccomp(2), filter.h). Only
 * what a syscall filter needs: load a 32-bit word of `struct seccomp_data`, compare it, return a
 * verdict. Jumps name labels; `assemble` turns them into the forward offsets BPF wants (8 bits,
 * forward only, so a target more than 255 instructions ahead is refused, not wrapped).
 */

/** Opcodes (linux/bpf_common.h): class | size | mode, or class | op | source. */
const LD_W_ABS = 0x00 | 0x00 | 0x20; // BPF_LD | BPF_W | BPF_ABS
const JMP_JEQ_K = 0x05 | 0x10 | 0x00; // BPF_JMP | BPF_JEQ | BPF_K
const JMP_JGE_K = 0x05 | 0x30 | 0x00; // BPF_JMP | BPF_JGE | BPF_K
const JMP_JSET_K = 0x05 | 0x40 | 0x00; // BPF_JMP | BPF_JSET | BPF_K
const RET_K = 0x06; // BPF_RET | BPF_K

/** Verdicts (linux/seccomp.h); ERRNO carries the errno in its low 16 bits. */
export const RET_ALLOW = 0x7fff0000;
export const retErrno = (errno: number): number => (0x00050000 | (errno & 0xffff)) >>> 0;

/** Offsets into `struct seccomp_data { int nr; __u32 arch; __u64 ip; __u64 args[6]; }`. */
export const DATA_NR = 0;
export const DATA_ARCH = 4;
/** The low 32 bits of argument `i` on a little-endian machine (x86_64 and aarch64 both are). */
export const dataArgLow = (i: number): number => 16 + 8 * i;

/** A jump target: a label defined with `label()`, or `null` for the next instruction. */
type Target = string | null;

export type Instruction =
  | { op: 'load'; offset: number }
  | { op: 'jeq' | 'jge' | 'jset'; k: number; then: Target; else: Target }
  | { op: 'ret'; k: number }
  | { op: 'label'; name: string };

export const load = (offset: number): Instruction => ({ op: 'load', offset });
export const jeq = (k: number, then: Target, otherwise: Target = null): Instruction => ({ op: 'jeq', k, then, else: otherwise });
export const jge = (k: number, then: Target, otherwise: Target = null): Instruction => ({ op: 'jge', k, then, else: otherwise });
export const jset = (k: number, then: Target, otherwise: Target = null): Instruction => ({ op: 'jset', k, then, else: otherwise });
export const ret = (k: number): Instruction => ({ op: 'ret', k });
export const label = (name: string): Instruction => ({ op: 'label', name });

/**
 * Lays out the program as the kernel's `struct sock_filter[]` (u16 code, u8 jt, u8 jf, u32 k; 8
 * bytes each, native byte order), which is what `bwrap --seccomp FD` reads from its descriptor.
 *
 * @example
 * assemble([load(DATA_NR), jeq(101, 'deny'), ret(RET_ALLOW), label('deny'), ret(retErrno(1))]);
 */
export function assemble(program: Instruction[]): Buffer {
  const at = new Map<string, number>();
  const code: Exclude<Instruction, { op: 'label' }>[] = [];
  for (const ins of program) {
    if (ins.op !== 'label') code.push(ins);
    else if (at.has(ins.name)) throw new Error(`seccomp: label "${ins.name}" defined twice`);
    else at.set(ins.name, code.length);
  }
  if (code.length > 4096) throw new Error('seccomp: program longer than BPF_MAXINSNS (4096)');
  const out = Buffer.alloc(code.length * 8);
  code.forEach((ins, i) => {
    const offset = (target: Target): number => {
      if (target === null) return 0;
      const to = at.get(target);
      if (to === undefined) throw new Error(`seccomp: unknown label "${target}"`);
      const skip = to - i - 1;
      if (skip < 0 || skip > 255) throw new Error(`seccomp: label "${target}" is out of reach of instruction ${i}`);
      return skip;
    };
    let opcode: number;
    let jt = 0;
    let jf = 0;
    let k: number;
    if (ins.op === 'load') [opcode, k] = [LD_W_ABS, ins.offset];
    else if (ins.op === 'ret') [opcode, k] = [RET_K, ins.k];
    else {
      opcode = ins.op === 'jeq' ? JMP_JEQ_K : ins.op === 'jge' ? JMP_JGE_K : JMP_JSET_K;
      [jt, jf, k] = [offset(ins.then), offset(ins.else), ins.k];
    }
    out.writeUInt16LE(opcode, i * 8);
    out.writeUInt8(jt, i * 8 + 2);
    out.writeUInt8(jf, i * 8 + 3);
    out.writeUInt32LE(k >>> 0, i * 8 + 4);
  });
  return out;
}
