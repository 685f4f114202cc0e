/**
 * Placeholder until the kernel fixes land: see the foundation issue, item 3.
 */
export function installWasmKernelFixes(): void {}
