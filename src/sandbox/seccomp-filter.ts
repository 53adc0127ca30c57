import { DATA_ARCH, DATA_NR, RET_ALLOW, assemble, dataArgLow, jeq, jge, jset, label, load, ret, retErrno, type Instruction } from './seccomp-bpf.js';
import { ARCH_TABLES, DENIED_SYSCALLS, ENOSYS_SYSCALLS, type ArchTable } from './seccomp-syscalls.js';

const EPERM = 1;
const ENOSYS = 38;

/**
 * Namespace flags of clone(2) (linux/sched.h). CLONE_NEWTIME (0x80) is left out on purpose: in
 * clone()'s flags the low byte is the exit signal, and the kernel accepts NEWTIME only from
 * unshare and clone3, both refused whole.
 */
const CLONE_NAMESPACE_FLAGS =
  0x00020000 | // CLONE_NEWNS
  0x02000000 | // CLONE_NEWCGROUP
  0x04000000 | // CLONE_NEWUTS
  0x08000000 | // CLONE_NEWIPC
  0x10000000 | // CLONE_NEWUSER
  0x20000000 | // CLONE_NEWPID
  0x40000000; // CLONE_NEWNET

/**
 * personality(2) values Docker's default profile allows: PER_LINUX, UNAME26, PER_LINUX32 and its
 * UNAME26 form, and the query 0xffffffff. Others (READ_IMPLIES_EXEC, ADDR_NO_RANDOMIZE) weaken
 * exploit mitigations.
 */
const PERSONALITY_ALLOWED = [0x0, 0x8, 0x20000, 0x20008, 0xffffffff];

export type SeccompArch = keyof typeof ARCH_TABLES;

/** The filter's architecture for this Node build, or undefined where no table exists. */
export function seccompArch(nodeArch: string = process.arch): SeccompArch | undefined {
  return nodeArch === 'x64' ? 'x86_64' : nodeArch === 'arm64' ? 'aarch64' : undefined;
}

/**
 * The sandbox's seccomp program, modelled on Docker's default profile but written as a deny list
 * (Docker lists what is allowed; a deny list keeps every ordinary call working, and the sandbox has
 * no capabilities, which already stops most of what Docker's allow list leaves out). In order:
 * 1. another architecture (i386 through `int 0x80`) gets ENOSYS for everything, since its syscall
 *    numbers differ and would slip past the checks; so does the x32 ABI on x86_64;
 * 2. each call of DENIED_SYSCALLS gets EPERM, each of ENOSYS_SYSCALLS ENOSYS;
 * 3. clone with any namespace flag gets EPERM (the flags are its first argument on both arches);
 * 4. personality with a value outside PERSONALITY_ALLOWED gets EPERM;
 * 5. everything else is allowed.
 * Compared with Docker's profile it still allows a few calls Docker refuses without a capability
 * (the NUMA memory-policy calls, `socket(AF_VSOCK)`); the dropped capabilities refuse what matters.
 *
 * @example
 * const program = seccompProgram('x86_64'); // Buffer of struct sock_filter, for `bwrap --seccomp FD`
 */
export function seccompProgram(arch: SeccompArch): Buffer {
  const table = ARCH_TABLES[arch];
  const nr = (name: string): number | undefined => table.numbers[name as keyof ArchTable['numbers']];
  const checks: Instruction[] = [];
  const denied = Object.values(DENIED_SYSCALLS).flat();
  for (const name of denied) {
    const n = nr(name);
    if (n !== undefined) checks.push(jeq(n, 'eperm'));
  }
  for (const name of ENOSYS_SYSCALLS) checks.push(jeq(nr(name)!, 'enosys'));
  checks.push(jeq(nr('clone')!, 'clone'), jeq(nr('personality')!, 'personality'));
  return assemble([
    load(DATA_ARCH),
    jeq(table.auditArch, null, 'enosys'),
    load(DATA_NR),
    ...(table.x32Bit !== undefined ? [jge(table.x32Bit, 'enosys')] : []),
    ...checks,
    ret(RET_ALLOW),
    label('clone'),
    load(dataArgLow(0)),
    jset(CLONE_NAMESPACE_FLAGS, 'eperm'),
    ret(RET_ALLOW),
    label('personality'),
    load(dataArgLow(0)),
    ...PERSONALITY_ALLOWED.map((value) => jeq(value, 'allow')),
    label('eperm'),
    ret(retErrno(EPERM)),
    label('enosys'),
    ret(retErrno(ENOSYS)),
    label('allow'),
    ret(RET_ALLOW),
  ]);
}

/** Every syscall the filter refuses outright on `arch` (some do not exist on every architecture). */
export function deniedSyscallNames(arch: SeccompArch): string[] {
  const numbers: Partial<Record<string, number>> = ARCH_TABLES[arch].numbers;
  return [...Object.values(DENIED_SYSCALLS).flat(), ...ENOSYS_SYSCALLS].filter((name) => numbers[name] !== undefined);
}
