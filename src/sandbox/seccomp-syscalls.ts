/**
 * Syscall numbers per architecture, from the kernel's uapi headers (asm/unistd_64.h for x86_64,
 * asm-generic/unistd.h for aarch64). The list of what is denied follows Docker's default seccomp
 * profile: the calls it allows only with a capability the sandbox never has, or never at all,
 * grouped by why each is dangerous.
 */

/** Syscalls refused with EPERM outright, by the reason they are refused. */
export const DENIED_SYSCALLS = {
  // New namespaces and mount tables: the escape hatch a nested user namespace opens
  // (`unshare -r` grants full capabilities over a fresh namespace and its kernel attack surface).
  namespaces: ['unshare', 'setns', 'mount', 'umount2', 'pivot_root', 'chroot', 'open_tree', 'move_mount', 'fsopen', 'fsconfig', 'fsmount', 'fspick', 'mount_setattr'],
  // Reading or steering other processes (the server's own children included).
  processes: ['ptrace', 'process_vm_readv', 'process_vm_writev', 'kcmp', 'pidfd_getfd'],
  // Loading code into the kernel or replacing it.
  kernelCode: ['kexec_load', 'kexec_file_load', 'init_module', 'finit_module', 'delete_module', 'bpf'],
  // Large kernel attack surface with little use to a tool server.
  attackSurface: ['perf_event_open', 'userfaultfd', 'keyctl', 'add_key', 'request_key', 'fanotify_init', 'lookup_dcookie', 'move_pages'],
  // File handles bypass path lookups (the "shocker" container escape).
  fileHandles: ['open_by_handle_at', 'name_to_handle_at'],
  // Host administration: swap, power, logs, accounting, quotas, I/O ports, clocks, host names.
  hostAdmin: [
    'swapon', 'swapoff', 'reboot', 'syslog', 'acct', 'quotactl', 'quotactl_fd', 'iopl', 'ioperm', 'vhangup',
    'clock_settime', 'clock_adjtime', 'settimeofday', 'adjtimex', 'sethostname', 'setdomainname',
  ],
  // Obsolete calls that only old exploits use.
  obsolete: ['uselib', 'ustat', 'sysfs', '_sysctl', 'create_module', 'get_kernel_syms', 'query_module', 'nfsservctl'],
} as const;

/**
 * Refused with ENOSYS ("not implemented") rather than EPERM, so that callers fall back: glibc
 * retries `clone3` as `clone` (whose flags the filter can inspect; clone3 passes them in memory,
 * out of a filter's reach), and libuv goes back to its thread pool without io_uring, whose
 * submissions bypass seccomp entirely (Docker refuses it since version 25).
 */
export const ENOSYS_SYSCALLS = ['clone3', 'io_uring_setup', 'io_uring_enter', 'io_uring_register'] as const;

/** Calls allowed depending on an argument; see seccomp-filter.ts. */
export const CHECKED_SYSCALLS = ['clone', 'personality'] as const;

type Name = (typeof DENIED_SYSCALLS)[keyof typeof DENIED_SYSCALLS][number] | (typeof ENOSYS_SYSCALLS)[number] | (typeof CHECKED_SYSCALLS)[number];

export interface ArchTable {
  /** The `AUDIT_ARCH_*` value the kernel puts in `seccomp_data.arch` (linux/audit.h). */
  auditArch: number;
  /** x86_64 only: syscalls of the x32 ABI carry this bit and would slip past every number below. */
  x32Bit?: number;
  /** Missing entries do not exist on that architecture (iopl on aarch64). */
  numbers: Partial<Record<Name, number>>;
}

/** Numbers that are the same on both: calls added after the tables were unified (Linux 5.1+). */
const UNIFIED = {
  io_uring_setup: 425, io_uring_enter: 426, io_uring_register: 427, open_tree: 428, move_mount: 429, fsopen: 430,
  fsconfig: 431, fsmount: 432, fspick: 433, clone3: 435, pidfd_getfd: 438, mount_setattr: 442, quotactl_fd: 443,
} as const;

export const ARCH_TABLES: Record<'x86_64' | 'aarch64', ArchTable> = {
  x86_64: {
    auditArch: 0xc000003e,
    x32Bit: 0x40000000,
    numbers: {
      ...UNIFIED,
      clone: 56, ptrace: 101, syslog: 103, uselib: 134, personality: 135, ustat: 136, sysfs: 139, vhangup: 153,
      pivot_root: 155, _sysctl: 156, adjtimex: 159, chroot: 161, acct: 163, settimeofday: 164, mount: 165,
      umount2: 166, swapon: 167, swapoff: 168, reboot: 169, sethostname: 170, setdomainname: 171, iopl: 172,
      ioperm: 173, create_module: 174, init_module: 175, delete_module: 176, get_kernel_syms: 177,
      query_module: 178, quotactl: 179, nfsservctl: 180, lookup_dcookie: 212, clock_settime: 227,
      kexec_load: 246, add_key: 248, request_key: 249, keyctl: 250, unshare: 272, move_pages: 279,
      perf_event_open: 298, fanotify_init: 300, name_to_handle_at: 303, open_by_handle_at: 304,
      clock_adjtime: 305, setns: 308, process_vm_readv: 310, process_vm_writev: 311, kcmp: 312,
      finit_module: 313, kexec_file_load: 320, bpf: 321, userfaultfd: 323,
    },
  },
  aarch64: {
    auditArch: 0xc00000b7,
    numbers: {
      ...UNIFIED,
      lookup_dcookie: 18, umount2: 39, mount: 40, pivot_root: 41, nfsservctl: 42, chroot: 51, vhangup: 58,
      quotactl: 60, acct: 89, personality: 92, unshare: 97, kexec_load: 104, init_module: 105,
      delete_module: 106, clock_settime: 112, syslog: 116, ptrace: 117, reboot: 142, sethostname: 161,
      setdomainname: 162, settimeofday: 170, adjtimex: 171, add_key: 217, request_key: 218, keyctl: 219,
      clone: 220, swapon: 224, swapoff: 225, move_pages: 239, perf_event_open: 241, fanotify_init: 262,
      name_to_handle_at: 264, open_by_handle_at: 265, clock_adjtime: 266, setns: 268, process_vm_readv: 270,
      process_vm_writev: 271, kcmp: 272, finit_module: 273, bpf: 280, userfaultfd: 282, kexec_file_load: 294,
    },
  },
};
