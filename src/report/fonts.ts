/**
 * The font plots are drawn with. PNGs are rasterised with these files only (no system font lookup),
 * so the same plot gives the same pixels on every machine that has the font; SVGs name the family
 * first and fall back to a generic sans-serif in a browser that lacks it.
 *
 * DejaVu Sans comes from Debian's `fonts-dejavu-core` (Fedora `dejavu-sans-fonts`, Arch `ttf-dejavu`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface PlotFont {
  /** The family name inside the font files, as SVG `font-family` and resvg know it. */
  family: string;
  /** `font-family` for SVG text: the family, then fallbacks for viewers without it. */
  cssFamily: string;
  /** Regular and bold faces, absolute paths. */
  files: readonly string[];
}

const FAMILY = 'DejaVu Sans';
const FACE_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'] as const;

/** Where distributions install DejaVu Sans. */
export const DEJAVU_DIRS: readonly string[] = [
  '/usr/share/fonts/truetype/dejavu', // Debian, Ubuntu
  '/usr/share/fonts/dejavu-sans-fonts', // Fedora
  '/usr/share/fonts/TTF', // Arch
  '/usr/share/fonts/dejavu', // Alpine, older Fedora
  '/usr/local/share/fonts/dejavu', // FreeBSD, manual installs
];

let cached: PlotFont | undefined;

/**
 * Finds DejaVu Sans (regular and bold) in the first of `dirs` that holds both.
 * Throws when none does, naming the package to install.
 */
export function plotFont(dirs: readonly string[] = DEJAVU_DIRS): PlotFont {
  if (dirs === DEJAVU_DIRS && cached !== undefined) return cached;
  for (const dir of dirs) {
    const files = FACE_FILES.map((f) => join(dir, f));
    if (files.every((f) => existsSync(f))) {
      const font: PlotFont = { family: FAMILY, cssFamily: `${FAMILY}, Verdana, sans-serif`, files };
      if (dirs === DEJAVU_DIRS) cached = font;
      return font;
    }
  }
  throw new Error(
    `Cannot draw a plot: font ${FAMILY} (${FACE_FILES.join(', ')}) not found in ${dirs.join(', ')}; ` +
      'install it (Debian/Ubuntu: apt-get install fonts-dejavu-core)',
  );
}
