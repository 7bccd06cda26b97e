export function folderBytes(dir: string): number;
export function installedPackages(nodeModules: string): string[];
export function packAndInstall(root: string): {
  dir: string;
  app: string;
  tarballBytes: number;
  files: string[];
  installedBytes: number;
  packages: string[];
  bin: string;
};
