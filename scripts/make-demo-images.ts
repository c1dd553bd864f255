/**
 * Draws the demo catalog's product illustrations as SVG and writes them as 600×600 WebP into
 * static/demo/. Run once by hand (`npx tsx scripts/make-demo-images.ts`) and commit the output:
 * the platform never generates images at start-up.
 *
 *   --preview <dir>   also write PNG copies there, for looking at them
 *
 * The captions are Japanese. The machine has no Japanese system font, so fontconfig is pointed at
 * the Noto Sans JP files that the project already installs for its PDFs; that must happen before
 * sharp (librsvg → pango → fontconfig) first initialises, hence the dynamic import below.
 */
import { mkdirSync, readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEMO_IMAGE_DIR, DEMO_IMAGES, type DemoImageSpec } from '../src/demo/catalog/demo-images.ts';

const root = resolve(import.meta.dirname, '..');
const fontRoot = join(root, 'node_modules/@expo-google-fonts/noto-sans-jp');
const fontConfigFile = join(tmpdir(), 'oroshi-demo-images-fonts.conf');
writeFileSync(
  fontConfigFile,
  `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${join(fontRoot, '500Medium')}</dir>
  <dir>${join(fontRoot, '700Bold')}</dir>
  <cachedir>${join(tmpdir(), 'oroshi-demo-images-fontcache')}</cachedir>
</fontconfig>
`,
);
process.env['FONTCONFIG_FILE'] = fontConfigFile;
const { default: sharp } = await import('sharp');

const SIZE = 600;
const INK = '#4a4440';
const FONT = `font-family="Noto Sans JP, sans-serif"`;

function clamp(n: number): number {
  return Math.max(0, Math.min(255, Math.round(n)));
}

/** Mixes a hex colour towards white (amount > 0) or black (amount < 0). */
function tint(hex: string, amount: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const channels = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  const mixed = channels.map((c) => (amount >= 0 ? c + (255 - c) * amount : c * (1 + amount)));
  return `#${mixed.map((c) => clamp(c).toString(16).padStart(2, '0')).join('')}`;
}

/** A left-to-right gradient that makes a flat shape read as a rounded solid. */
function cylinder(id: string, color: string): string {
  return `<linearGradient id="${id}" x1="0" x2="1" y1="0" y2="0">
    <stop offset="0" stop-color="${tint(color, -0.12)}"/>
    <stop offset="0.28" stop-color="${tint(color, 0.28)}"/>
    <stop offset="0.55" stop-color="${color}"/>
    <stop offset="1" stop-color="${tint(color, -0.18)}"/>
  </linearGradient>`;
}

function label(x: number, y: number, w: number, h: number, ink: string, mark?: string): string {
  const lines = mark
    ? `<circle cx="${x + w / 2}" cy="${y + h * 0.42}" r="${Math.min(w, h) * 0.26}" fill="${ink}"/>
       <text x="${x + w / 2}" y="${y + h * 0.42 + Math.min(w, h) * 0.1}" ${FONT} font-weight="700" font-size="${Math.min(w, h) * 0.3}" text-anchor="middle" fill="#fff">${mark}</text>
       <rect x="${x + w * 0.2}" y="${y + h * 0.78}" width="${w * 0.6}" height="6" rx="3" fill="${ink}" opacity="0.45"/>`
    : `<rect x="${x + w * 0.18}" y="${y + h * 0.24}" width="${w * 0.64}" height="10" rx="5" fill="${ink}" opacity="0.85"/>
       <rect x="${x + w * 0.28}" y="${y + h * 0.24 + 24}" width="${w * 0.44}" height="6" rx="3" fill="${ink}" opacity="0.45"/>
       <rect x="${x + w * 0.22}" y="${y + h - 34}" width="${w * 0.56}" height="5" rx="2.5" fill="${ink}" opacity="0.3"/>`;
  return `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="10" fill="#ffffff" opacity="0.88"/>${lines}`;
}

type Draw = (s: DemoImageSpec) => string;

const pumpBottle: Draw = (s) => `
  <defs>${cylinder('body', s.color)}${cylinder('cap', s.accent)}</defs>
  <path d="M268 100 h74 a6 6 0 0 1 6 6 v6 h34 a5 5 0 0 1 0 10 h-40 v8 h-80 v-24 a6 6 0 0 1 6 -6z" fill="url(#cap)"/>
  <rect x="291" y="130" width="18" height="34" fill="${tint(s.accent, 0.2)}"/>
  <rect x="262" y="160" width="76" height="30" rx="6" fill="url(#cap)"/>
  <path d="M228 214 q0 -24 28 -24 h88 q28 0 28 24 v236 q0 22 -24 22 h-96 q-24 0 -24 -22z" fill="url(#body)"/>
  ${label(246, 268, 108, 150, s.accent)}`;

const bottle: Draw = (s) => `
  <defs>${cylinder('body', s.color)}${cylinder('cap', s.accent)}</defs>
  <rect x="252" y="118" width="96" height="58" rx="12" fill="url(#cap)"/>
  <rect x="262" y="112" width="40" height="10" rx="4" fill="${tint(s.accent, -0.2)}"/>
  <path d="M236 222 q0 -50 40 -50 h48 q40 0 40 50 v226 q0 24 -26 24 h-76 q-26 0 -26 -24z" fill="url(#body)"/>
  ${label(250, 268, 100, 150, s.accent)}`;

const refillPouch: Draw = (s) => `
  <defs>${cylinder('body', s.color)}${cylinder('cap', s.accent)}</defs>
  <path d="M200 130 h200 v20 q14 150 6 290 q-2 30 -30 32 h-152 q-28 -2 -30 -32 q-8 -140 6 -290z" fill="url(#body)"/>
  <rect x="200" y="130" width="200" height="20" fill="${tint(s.color, -0.1)}"/>
  <rect x="340" y="96" width="40" height="42" rx="6" fill="url(#cap)"/>
  <path d="M200 150 l38 0 l-38 40z" fill="#ffffff" opacity="0.35"/>
  ${label(236, 250, 128, 150, s.accent)}
  <path d="M214 440 q86 24 172 0" stroke="${tint(s.color, -0.2)}" stroke-width="3" fill="none"/>`;

const jar: Draw = (s) => `
  <defs>${cylinder('body', s.color)}${cylinder('cap', s.accent)}</defs>
  <path d="M200 300 h200 v150 q0 24 -26 24 h-148 q-26 0 -26 -24z" fill="url(#body)"/>
  <rect x="188" y="238" width="224" height="68" rx="14" fill="url(#cap)"/>
  <rect x="188" y="294" width="224" height="10" fill="${tint(s.accent, -0.25)}" opacity="0.6"/>
  ${label(230, 330, 140, 118, s.accent === '#c9a46a' ? s.accent : s.accent)}`;

const tube: Draw = (s) => `
  <defs>${cylinder('body', s.color)}${cylinder('cap', s.accent)}</defs>
  <path d="M206 112 h188 l-4 30 l-40 262 h-100 l-40 -262z" fill="url(#body)"/>
  <rect x="202" y="104" width="196" height="22" rx="3" fill="${tint(s.color, -0.12)}"/>
  ${[0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => `<line x1="${214 + i * 21}" y1="106" x2="${214 + i * 21}" y2="124" stroke="${tint(s.color, -0.25)}" stroke-width="2"/>`).join('')}
  <rect x="236" y="180" width="128" height="16" rx="8" fill="${s.accent}"/>
  <rect x="252" y="210" width="96" height="8" rx="4" fill="${s.accent}" opacity="0.5"/>
  <rect x="262" y="232" width="76" height="6" rx="3" fill="${s.accent}" opacity="0.35"/>
  <rect x="246" y="400" width="108" height="72" rx="10" fill="url(#cap)"/>`;

const dropperBottle: Draw = (s) => `
  <defs>${cylinder('body', s.color)}${cylinder('cap', s.accent)}</defs>
  <rect x="280" y="118" width="40" height="100" rx="20" fill="url(#cap)"/>
  <rect x="262" y="206" width="76" height="60" rx="8" fill="url(#cap)"/>
  <path d="M236 300 q0 -38 40 -38 h48 q40 0 40 38 v148 q0 24 -24 24 h-80 q-24 0 -24 -24z" fill="url(#body)" opacity="0.95"/>
  <rect x="252" y="322" width="96" height="104" rx="8" fill="#ffffff" opacity="0.88"/>
  <rect x="270" y="350" width="60" height="9" rx="4.5" fill="${s.accent}"/>
  <rect x="280" y="372" width="40" height="6" rx="3" fill="${s.accent}" opacity="0.45"/>
  <path d="M246 300 v130" stroke="#ffffff" stroke-width="8" stroke-linecap="round" opacity="0.35"/>`;

const sprayBottle: Draw = (s) => `
  <defs>${cylinder('body', s.color)}${cylinder('cap', s.accent)}</defs>
  <rect x="258" y="112" width="84" height="92" rx="16" fill="url(#cap)"/>
  <rect x="240" y="136" width="24" height="12" rx="4" fill="${tint(s.accent, -0.3)}"/>
  <path d="M234 236 q0 -34 34 -34 h64 q34 0 34 34 v214 q0 22 -22 22 h-88 q-22 0 -22 -22z" fill="url(#body)"/>
  ${label(252, 276, 96, 150, s.accent === '#e2e4ea' ? '#ffffff' : s.accent)}`;

const colourBox: Draw = (s) => `
  <defs>${cylinder('tube', '#e9ebee')}</defs>
  <path d="M362 132 l40 -24 v330 l-40 24z" fill="${tint(s.color, -0.28)}"/>
  <path d="M170 132 l40 -24 h192 l-40 24z" fill="${tint(s.color, 0.25)}"/>
  <rect x="170" y="132" width="192" height="330" fill="${s.color}"/>
  <rect x="170" y="200" width="192" height="120" fill="${s.accent}"/>
  <circle cx="222" cy="260" r="34" fill="${s.color}"/>
  <circle cx="222" cy="260" r="34" fill="none" stroke="#ffffff" stroke-width="4"/>
  <rect x="270" y="236" width="72" height="10" rx="5" fill="${s.color}"/>
  <rect x="270" y="258" width="52" height="7" rx="3.5" fill="${s.color}" opacity="0.6"/>
  <rect x="270" y="276" width="60" height="7" rx="3.5" fill="${s.color}" opacity="0.6"/>
  <rect x="196" y="356" width="140" height="8" rx="4" fill="#ffffff" opacity="0.55"/>
  <rect x="196" y="376" width="96" height="6" rx="3" fill="#ffffff" opacity="0.4"/>
  <g transform="rotate(-14 400 330)">
    <path d="M356 210 h88 l-6 22 l-16 186 h-44 l-16 -186z" fill="url(#tube)"/>
    <rect x="352" y="202" width="96" height="14" rx="2" fill="#d4d7db"/>
    <rect x="374" y="270" width="52" height="60" rx="6" fill="${s.color}"/>
    <rect x="378" y="414" width="44" height="46" rx="6" fill="${tint(s.color, -0.3)}"/>
  </g>`;

const oxidantBottle: Draw = (s) => `
  <defs>${cylinder('body', s.color)}${cylinder('cap', s.accent)}</defs>
  <path d="M284 92 h32 l10 52 h-52z" fill="url(#cap)"/>
  <rect x="258" y="140" width="84" height="40" rx="8" fill="url(#cap)"/>
  <path d="M222 224 q0 -46 46 -46 h64 q46 0 46 46 v224 q0 24 -24 24 h-108 q-24 0 -24 -24z" fill="url(#body)" stroke="${tint(s.color, -0.12)}" stroke-width="2"/>
  <rect x="222" y="250" width="156" height="22" fill="${s.accent}"/>
  ${label(244, 290, 112, 140, s.accent, s.mark)}`;

const powderBag: Draw = (s) => `
  <defs>${cylinder('body', s.color)}</defs>
  <path d="M196 118 h208 l10 340 q0 16 -16 16 h-196 q-16 0 -16 -16z" fill="url(#body)" stroke="${tint(s.color, -0.15)}" stroke-width="2"/>
  <rect x="196" y="118" width="208" height="34" fill="${s.accent}"/>
  <line x1="200" y1="166" x2="400" y2="166" stroke="${tint(s.color, -0.25)}" stroke-width="4" stroke-dasharray="10 6"/>
  <circle cx="300" cy="290" r="64" fill="${s.accent}" opacity="0.15"/>
  <path d="M300 240 l14 36 l38 2 l-30 24 l10 36 l-32 -20 l-32 20 l10 -36 l-30 -24 l38 -2z" fill="${s.accent}"/>
  <rect x="236" y="384" width="128" height="10" rx="5" fill="${s.accent}" opacity="0.7"/>
  <rect x="256" y="406" width="88" height="7" rx="3.5" fill="${s.accent}" opacity="0.4"/>`;

const tintBowl: Draw = (s) => `
  <g transform="rotate(28 330 250)">
    <rect x="318" y="70" width="22" height="230" rx="10" fill="${s.color}"/>
    <path d="M312 300 h34 l8 60 h-50z" fill="${s.accent}"/>
    <path d="M304 356 h54 l-4 40 q-23 10 -46 0z" fill="#8a5a3c"/>
  </g>
  <path d="M170 330 h260 q-6 120 -130 136 q-124 -16 -130 -136z" fill="${s.color}"/>
  <ellipse cx="300" cy="330" rx="130" ry="26" fill="${tint(s.color, 0.2)}"/>
  <ellipse cx="300" cy="332" rx="112" ry="18" fill="#8a5a3c"/>
  <path d="M206 360 q20 70 94 86" stroke="#ffffff" stroke-width="6" fill="none" opacity="0.25" stroke-linecap="round"/>`;

const permBottle: Draw = (s) => `
  <defs>${cylinder('body', s.color)}${cylinder('cap', s.accent)}</defs>
  <path d="M292 84 l16 0 l10 70 h-36z" fill="url(#cap)"/>
  <rect x="262" y="150" width="76" height="38" rx="8" fill="url(#cap)"/>
  <path d="M226 226 q0 -40 40 -40 h68 q40 0 40 40 v222 q0 24 -24 24 h-100 q-24 0 -24 -24z" fill="url(#body)" stroke="${tint(s.color, -0.12)}" stroke-width="2"/>
  <rect x="226" y="240" width="148" height="16" fill="${s.accent}"/>
  ${label(246, 276, 108, 160, s.accent, s.mark)}`;

const permRods: Draw = (s) => {
  const rods = [0, 1, 2, 3, 4, 5]
    .map((i) => {
      const color = i % 2 === 0 ? s.color : s.accent;
      const x = 160 + i * 48;
      const y = 150 + (i % 3) * 18;
      return `<g transform="rotate(-24 ${x + 20} ${y + 150})">
        <rect x="${x}" y="${y}" width="40" height="290" rx="20" fill="${color}"/>
        <rect x="${x + 6}" y="${y}" width="8" height="290" rx="4" fill="#ffffff" opacity="0.35"/>
        <rect x="${x - 3}" y="${y + 130}" width="46" height="10" rx="4" fill="${INK}" opacity="0.75"/>
      </g>`;
    })
    .join('');
  return rods;
};

function scissorsShape(s: DemoImageSpec, thinning: boolean): string {
  const blade = `M-12 0 q-10 -120 -2 -220 q6 -14 14 0 q8 100 2 220z`;
  const teeth = thinning
    ? Array.from({ length: 16 }, (_, i) => `<rect x="-4" y="${-200 + i * 12}" width="16" height="6" fill="${s.color}"/>`).join('')
    : '';
  return `
  <defs>${cylinder('blade', s.color)}</defs>
  <g transform="translate(300 300)">
    <g transform="rotate(-9)"><path d="${blade}" fill="url(#blade)" stroke="${tint(s.color, -0.3)}" stroke-width="2"/></g>
    <g transform="rotate(9)">${
      thinning
        ? `<path d="M-4 0 l-2 -214 q4 -8 8 0 l2 214z" fill="${tint(s.color, -0.15)}"/>${teeth}`
        : `<path d="${blade}" fill="url(#blade)" stroke="${tint(s.color, -0.3)}" stroke-width="2"/>`
    }</g>
    <path d="M-10 10 q-20 60 -52 96" stroke="${s.color}" stroke-width="18" fill="none" stroke-linecap="round"/>
    <path d="M10 10 q24 50 50 80" stroke="${s.color}" stroke-width="18" fill="none" stroke-linecap="round"/>
    <circle cx="-74" cy="128" r="36" fill="none" stroke="${s.color}" stroke-width="16"/>
    <circle cx="-74" cy="128" r="36" fill="none" stroke="${tint(s.color, -0.3)}" stroke-width="2"/>
    <circle cx="74" cy="112" r="34" fill="none" stroke="${s.color}" stroke-width="16"/>
    <circle cx="74" cy="112" r="34" fill="none" stroke="${tint(s.color, -0.3)}" stroke-width="2"/>
    <path d="M100 136 q30 30 20 70" stroke="${s.color}" stroke-width="10" fill="none" stroke-linecap="round"/>
    <circle cx="0" cy="0" r="16" fill="${s.accent}"/>
    <circle cx="0" cy="0" r="6" fill="${tint(s.accent, 0.4)}"/>
  </g>`;
}

const comb: Draw = (s) => {
  const teeth = Array.from({ length: 34 }, (_, i) => {
    const fine = i >= 17;
    const x = -190 + i * 11.2;
    return `<rect x="${x}" y="0" width="${fine ? 5 : 7}" height="${fine ? 70 : 82}" rx="2" fill="${s.color}"/>`;
  }).join('');
  return `<g transform="translate(300 280) rotate(-18)">
    <rect x="-200" y="-40" width="400" height="44" rx="12" fill="${s.color}"/>
    <rect x="-188" y="-32" width="376" height="6" rx="3" fill="#ffffff" opacity="0.25"/>
    ${teeth}
  </g>`;
};

const tailComb: Draw = (s) => {
  const teeth = Array.from({ length: 22 }, (_, i) => `<rect x="${-210 + i * 8.4}" y="0" width="4.6" height="56" rx="2" fill="${s.color}"/>`).join('');
  return `<g transform="translate(300 290) rotate(-24)">
    <rect x="-214" y="-30" width="196" height="34" rx="8" fill="${s.color}"/>
    ${teeth}
    <path d="M-20 -26 h210 q14 6 0 12 h-210z" fill="${s.color}"/>
    <rect x="-206" y="-24" width="180" height="5" rx="2.5" fill="#ffffff" opacity="0.25"/>
  </g>`;
};

const roundBrush: Draw = (s) => {
  const bristles = Array.from({ length: 26 }, (_, i) => {
    const x = -118 + i * 9.4;
    return `<line x1="${x}" y1="-46" x2="${x}" y2="46" stroke="${s.accent}" stroke-width="3"/>`;
  }).join('');
  return `<g transform="translate(300 300) rotate(-32)">
    <rect x="-210" y="-50" width="280" height="100" rx="40" fill="${tint(s.accent, 0.15)}" opacity="0.4"/>
    ${bristles}
    <rect x="-122" y="-22" width="242" height="44" rx="10" fill="#c9ccd1"/>
    <rect x="-122" y="-18" width="242" height="8" rx="4" fill="#ffffff" opacity="0.6"/>
    <rect x="118" y="-18" width="26" height="36" rx="4" fill="${INK}"/>
    <path d="M144 -16 h100 q24 0 24 16 q0 16 -24 16 h-100z" fill="${s.color}"/>
    <rect x="150" y="-11" width="100" height="5" rx="2.5" fill="#ffffff" opacity="0.3"/>
  </g>`;
};

const paddleBrush: Draw = (s) => {
  const pins: string[] = [];
  for (let row = 0; row < 8; row++) {
    for (let col = 0; col < 6; col++) {
      pins.push(`<circle cx="${-75 + col * 30}" cy="${-190 + row * 28}" r="5" fill="${s.accent}"/>`);
    }
  }
  return `<g transform="translate(300 300) rotate(16)">
    <rect x="-26" y="20" width="52" height="200" rx="24" fill="${s.color}"/>
    <rect x="-16" y="34" width="10" height="170" rx="5" fill="#ffffff" opacity="0.2"/>
    <rect x="-112" y="-226" width="224" height="256" rx="100" fill="${s.color}"/>
    <rect x="-96" y="-208" width="192" height="222" rx="86" fill="${tint(s.color, 0.2)}"/>
    ${pins.join('')}
  </g>`;
};

const dryer: Draw = (s) => `
  <defs>${cylinder('grip', s.color)}</defs>
  <path d="M356 404 q30 40 0 62 q-24 18 12 28" stroke="${INK}" stroke-width="6" fill="none" stroke-linecap="round"/>
  <g transform="rotate(10 340 300)">
    <rect x="312" y="240" width="64" height="170" rx="26" fill="url(#grip)"/>
    <rect x="328" y="280" width="32" height="12" rx="6" fill="${s.accent}"/>
    <rect x="328" y="300" width="32" height="12" rx="6" fill="${s.accent}" opacity="0.6"/>
  </g>
  <rect x="150" y="164" width="300" height="120" rx="60" fill="${s.color}" stroke="${tint(s.color, -0.15)}" stroke-width="2"/>
  <rect x="96" y="186" width="80" height="76" rx="12" fill="${tint(s.color, -0.1)}"/>
  <rect x="88" y="192" width="14" height="64" rx="4" fill="${s.accent}"/>
  <circle cx="440" cy="224" r="54" fill="${tint(s.color, -0.08)}"/>
  <circle cx="440" cy="224" r="40" fill="${s.accent}" opacity="0.9"/>
  ${[0, 1, 2, 3].map((i) => `<line x1="${408 + i * 20}" y1="196" x2="${408 + i * 20}" y2="252" stroke="${tint(s.color, -0.05)}" stroke-width="5"/>`).join('')}
  <rect x="190" y="180" width="200" height="12" rx="6" fill="#ffffff" opacity="0.35"/>`;

const flatIron: Draw = (s) => `
  <path d="M300 470 q-10 40 40 60" stroke="${INK}" stroke-width="6" fill="none" stroke-linecap="round"/>
  <g transform="rotate(-6 300 460)"><rect x="268" y="100" width="44" height="370" rx="20" fill="${s.color}"/>
    <rect x="274" y="110" width="32" height="150" rx="6" fill="${s.accent}"/></g>
  <g transform="rotate(8 300 460)"><rect x="290" y="100" width="44" height="370" rx="20" fill="${tint(s.color, 0.12)}"/>
    <rect x="296" y="110" width="32" height="150" rx="6" fill="${tint(s.accent, 0.2)}"/>
    <rect x="302" y="330" width="20" height="40" rx="8" fill="${s.accent}"/></g>
  <circle cx="300" cy="452" r="16" fill="${INK}"/>`;

const curlingIron: Draw = (s) => `
  <defs>${cylinder('barrel', '#c9ccd1')}</defs>
  <g transform="translate(300 300) rotate(-38)">
    <rect x="-250" y="-28" width="270" height="56" rx="28" fill="url(#barrel)"/>
    <path d="M-236 -38 h240 q10 0 10 10 v8 h-250z" fill="${INK}"/>
    <rect x="18" y="-36" width="210" height="72" rx="30" fill="${s.color}"/>
    <rect x="60" y="-12" width="40" height="24" rx="6" fill="${s.accent}"/>
    <path d="M228 0 q50 10 60 70" stroke="${INK}" stroke-width="6" fill="none" stroke-linecap="round"/>
    <circle cx="-256" cy="0" r="18" fill="${INK}"/>
  </g>`;

const clips: Draw = (s) =>
  [-24, 0, 24]
    .map(
      (angle, i) => `<g transform="translate(${220 + i * 80} 300) rotate(${angle})">
      <path d="M-16 -170 q16 -10 32 0 l6 250 q-22 16 -44 0z" fill="${i === 1 ? s.accent : s.color}"/>
      <path d="M-10 -160 l4 230" stroke="#ffffff" stroke-width="4" opacity="0.3"/>
      <circle cx="0" cy="110" r="28" fill="none" stroke="${i === 1 ? s.accent : s.color}" stroke-width="12"/>
    </g>`,
    )
    .join('');

const towelStack: Draw = (s) => {
  const layers = [0, 1, 2, 3, 4]
    .map((i) => {
      const y = 400 - i * 62;
      const w = 340 - (i % 2) * 14;
      const x = 300 - w / 2;
      const color = i % 2 === 0 ? s.color : s.accent === '#c9d8e4' ? s.accent : s.color;
      return `<rect x="${x}" y="${y}" width="${w}" height="66" rx="26" fill="${color}" stroke="${tint(s.accent, -0.1)}" stroke-width="2"/>
        <path d="M${x + 30} ${y + 18} h${w - 60}" stroke="${tint(color, -0.08)}" stroke-width="3"/>
        <path d="M${x + 20} ${y + 50} h${w - 40}" stroke="#ffffff" stroke-width="3" opacity="0.35"/>
        <rect x="${x + w - 60}" y="${y + 2}" width="14" height="62" fill="${tint(color, -0.12)}" opacity="0.6"/>`;
    })
    .join('');
  return layers;
};

const cape: Draw = (s) => `
  <path d="M300 70 q26 0 26 22 q0 16 -26 26" stroke="${INK}" stroke-width="7" fill="none" stroke-linecap="round"/>
  <path d="M196 140 h208" stroke="${INK}" stroke-width="8" stroke-linecap="round"/>
  <path d="M300 118 l-104 22" stroke="${INK}" stroke-width="6"/>
  <path d="M300 118 l104 22" stroke="${INK}" stroke-width="6"/>
  <path d="M236 144 h128 q30 0 40 34 l60 280 q4 18 -16 18 h-296 q-20 0 -16 -18 l60 -280 q10 -34 40 -34z" fill="${s.color}"/>
  <path d="M236 144 h128 v22 h-128z" fill="${s.accent}"/>
  ${[0, 1, 2, 3].map((i) => `<path d="M${250 + i * 34} 180 l${-30 + i * 20} 290" stroke="${tint(s.color, -0.15)}" stroke-width="3" opacity="0.6"/>`).join('')}
  <path d="M226 190 l-40 260" stroke="#ffffff" stroke-width="8" opacity="0.18" stroke-linecap="round"/>`;

const apron: Draw = (s) => `
  <path d="M240 100 q60 -40 120 0" stroke="${s.accent}" stroke-width="8" fill="none"/>
  <path d="M246 104 h108 l8 100 q50 10 70 4 l10 12 l-26 250 q-2 14 -16 14 h-200 q-14 0 -16 -14 l-26 -250 l10 -12 q20 6 70 -4z" fill="${s.color}"/>
  <path d="M168 216 q-30 6 -40 30" stroke="${s.accent}" stroke-width="7" fill="none"/>
  <path d="M432 216 q30 6 40 30" stroke="${s.accent}" stroke-width="7" fill="none"/>
  <rect x="214" y="320" width="80" height="74" rx="8" fill="${tint(s.color, -0.12)}"/>
  <rect x="306" y="320" width="80" height="74" rx="8" fill="${tint(s.color, -0.12)}"/>
  <rect x="270" y="140" width="60" height="34" rx="6" fill="${s.accent}" opacity="0.8"/>`;

const gelPot: Draw = (s) => `
  <defs>${cylinder('cap', s.accent)}</defs>
  <rect x="200" y="190" width="200" height="96" rx="18" fill="url(#cap)"/>
  <rect x="200" y="270" width="200" height="10" fill="${tint(s.accent, -0.3)}"/>
  <path d="M190 296 h220 v150 q0 26 -26 26 h-168 q-26 0 -26 -26z" fill="#ffffff" opacity="0.55" stroke="#d9dde1" stroke-width="2"/>
  <path d="M212 318 h176 v114 q0 20 -20 20 h-136 q-20 0 -20 -20z" fill="${s.color}"/>
  <path d="M226 330 q0 80 20 106" stroke="#ffffff" stroke-width="10" fill="none" opacity="0.35" stroke-linecap="round"/>
  <ellipse cx="300" cy="318" rx="88" ry="8" fill="${tint(s.color, 0.25)}"/>`;

const nailBottle: Draw = (s) => `
  <defs>${cylinder('cap', s.accent)}</defs>
  <rect x="268" y="100" width="64" height="170" rx="12" fill="url(#cap)"/>
  <rect x="256" y="256" width="88" height="24" rx="6" fill="${tint(s.accent, -0.2)}"/>
  <path d="M222 300 q0 -24 24 -24 h108 q24 0 24 24 v148 q0 24 -24 24 h-108 q-24 0 -24 -24z" fill="#ffffff" opacity="0.6" stroke="#d4d8dc" stroke-width="2"/>
  <path d="M236 316 q0 -18 18 -18 h92 q18 0 18 18 v124 q0 18 -18 18 h-92 q-18 0 -18 -18z" fill="${s.color}"/>
  <rect x="262" y="350" width="76" height="12" rx="6" fill="#ffffff" opacity="0.85"/>
  <path d="M250 318 v120" stroke="#ffffff" stroke-width="8" opacity="0.4" stroke-linecap="round"/>`;

const nailFile: Draw = (s) => `
  <g transform="translate(300 290) rotate(-30)">
    <rect x="-210" y="-24" width="420" height="48" rx="24" fill="${s.accent}"/>
    <rect x="-200" y="-16" width="400" height="10" rx="5" fill="#ffffff" opacity="0.3"/>
  </g>
  <g transform="translate(300 310) rotate(22)">
    <rect x="-210" y="-24" width="420" height="48" rx="24" fill="${s.color}"/>
    ${Array.from({ length: 60 }, (_, i) => `<circle cx="${-190 + ((i * 37) % 380)}" cy="${-14 + ((i * 13) % 28)}" r="2" fill="#ffffff" opacity="0.35"/>`).join('')}
  </g>`;

const nailLamp: Draw = (s) => `
  <path d="M140 440 q0 -260 160 -260 q160 0 160 260z" fill="${s.color}" stroke="#d9dce0" stroke-width="3"/>
  <path d="M200 440 q0 -180 100 -180 q100 0 100 180z" fill="${tint(s.accent, -0.35)}"/>
  ${[0, 1, 2, 3, 4].map((i) => `<circle cx="${236 + i * 32}" cy="${300 - Math.abs(2 - i) * -8}" r="7" fill="${tint(s.accent, 0.5)}"/>`).join('')}
  <path d="M210 440 q10 -120 90 -130" stroke="${s.accent}" stroke-width="40" fill="none" opacity="0.25"/>
  <rect x="124" y="436" width="352" height="30" rx="10" fill="${tint(s.color, -0.1)}"/>
  <rect x="272" y="200" width="56" height="18" rx="9" fill="${s.accent}"/>`;

const teaBox: Draw = (s) => `
  <path d="M380 170 l36 -24 v290 l-36 24z" fill="${tint(s.color, -0.25)}"/>
  <path d="M180 170 l36 -24 h200 l-36 24z" fill="${tint(s.color, 0.25)}"/>
  <rect x="180" y="170" width="200" height="290" fill="${s.color}"/>
  <rect x="180" y="250" width="200" height="110" fill="#ffffff" opacity="0.85"/>
  <path d="M280 280 q40 10 30 60 q-50 -6 -30 -60z" fill="${s.accent}"/>
  <path d="M250 300 q30 -10 40 36 q-44 4 -40 -36z" fill="${tint(s.accent, 0.3)}"/>
  <path d="M420 220 q20 40 10 90" stroke="#d8cbb0" stroke-width="3" fill="none"/>
  <rect x="414" y="306" width="40" height="48" rx="4" fill="#ffffff" stroke="#d8cbb0" stroke-width="2"/>
  <rect x="422" y="322" width="24" height="6" rx="3" fill="${s.accent}"/>`;

const coffeeBox: Draw = (s) => `
  <path d="M360 160 l36 -24 v290 l-36 24z" fill="${tint(s.color, -0.3)}"/>
  <path d="M160 160 l36 -24 h200 l-36 24z" fill="${tint(s.color, 0.2)}"/>
  <rect x="160" y="160" width="200" height="290" fill="${s.color}"/>
  <rect x="160" y="240" width="200" height="100" fill="${s.accent}"/>
  <ellipse cx="260" cy="290" rx="26" ry="36" fill="${s.color}"/>
  <path d="M260 258 q-10 32 0 64" stroke="${s.accent}" stroke-width="5" fill="none"/>
  <path d="M356 300 h110 v150 q0 14 -14 14 h-82 q-14 0 -14 -14z" fill="#f7f1e8" stroke="#d8cbb0" stroke-width="2"/>
  <path d="M356 300 l20 24 h70 l20 -24" stroke="#d8cbb0" stroke-width="2" fill="none"/>
  <rect x="384" y="360" width="54" height="8" rx="4" fill="${s.color}"/>`;

const DRAWINGS: Record<DemoImageSpec['shape'], Draw> = {
  'pump-bottle': pumpBottle,
  bottle,
  'refill-pouch': refillPouch,
  jar,
  tube,
  'dropper-bottle': dropperBottle,
  'spray-bottle': sprayBottle,
  'colour-box': colourBox,
  'oxidant-bottle': oxidantBottle,
  'powder-bag': powderBag,
  'tint-bowl': tintBowl,
  'perm-bottle': permBottle,
  'perm-rods': permRods,
  scissors: (s) => scissorsShape(s, false),
  'thinning-scissors': (s) => scissorsShape(s, true),
  comb,
  'tail-comb': tailComb,
  'round-brush': roundBrush,
  'paddle-brush': paddleBrush,
  dryer,
  'flat-iron': flatIron,
  'curling-iron': curlingIron,
  clips,
  'towel-stack': towelStack,
  cape,
  apron,
  'gel-pot': gelPot,
  'nail-bottle': nailBottle,
  'nail-file': nailFile,
  'nail-lamp': nailLamp,
  'tea-box': teaBox,
  'coffee-box': coffeeBox,
};

function svgFor(spec: DemoImageSpec): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">
  <rect width="${SIZE}" height="${SIZE}" fill="${spec.backdrop}"/>
  <circle cx="300" cy="280" r="230" fill="#ffffff" opacity="0.55"/>
  <ellipse cx="300" cy="486" rx="170" ry="14" fill="${INK}" opacity="0.08"/>
  ${DRAWINGS[spec.shape](spec)}
  <text x="300" y="560" ${FONT} font-weight="500" font-size="30" letter-spacing="2" text-anchor="middle" fill="${INK}">${spec.caption}</text>
</svg>`;
}

const previewIndex = process.argv.indexOf('--preview');
const previewDir = previewIndex >= 0 ? process.argv[previewIndex + 1] : undefined;
const outDir = join(root, DEMO_IMAGE_DIR);
mkdirSync(outDir, { recursive: true });
if (previewDir) mkdirSync(previewDir, { recursive: true });

const wanted = new Set<string>(DEMO_IMAGES.map((image) => `${image.key}.webp`));
for (const file of readdirSync(outDir)) {
  if (file.endsWith('.webp') && !wanted.has(file)) unlinkSync(join(outDir, file));
}

let totalBytes = 0;
for (const spec of DEMO_IMAGES as readonly DemoImageSpec[]) {
  const svg = Buffer.from(svgFor(spec));
  const target = join(outDir, `${spec.key}.webp`);
  await sharp(svg).webp({ quality: 70, effort: 6 }).toFile(target);
  totalBytes += statSync(target).size;
  if (previewDir) await sharp(svg).png().toFile(join(previewDir, `${spec.key}.png`));
}
console.log(`${DEMO_IMAGES.length} images, ${(totalBytes / 1024).toFixed(0)} KiB in ${DEMO_IMAGE_DIR}/`);
