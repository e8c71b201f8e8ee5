/**
 * Synthetic photo-like scenes, the same for the same seed on every run: the test fixtures render them
 * (with grain) and the simulated worlds of `npm run cli -- simulate` upload them, so that encoders and
 * perceptual hashes meet structure rather than flat colour.
 */
import { seededRandom } from '@boardroom/core';

/** An SVG of a gradient and 40 overlapping shapes drawn from `seed`; render it with sharp. */
export function syntheticSceneSvg(width: number, height: number, seed: number): string {
  const random = seededRandom(seed);
  const colour = () =>
    `hsl(${Math.floor(random() * 360)},${40 + Math.floor(random() * 50)}%,${25 + Math.floor(random() * 50)}%)`;
  const shapes = Array.from({ length: 40 }, () => {
    const x = Math.round(random() * width);
    const y = Math.round(random() * height);
    const size = Math.round((0.03 + random() * 0.25) * width);
    return random() < 0.5
      ? `<circle cx="${x}" cy="${y}" r="${size >> 1}" fill="${colour()}" fill-opacity="${(0.5 + random() / 2).toFixed(2)}"/>`
      : `<rect x="${x}" y="${y}" width="${size}" height="${Math.round(size * (0.3 + random()))}" fill="${colour()}" transform="rotate(${Math.round(random() * 90)} ${x} ${y})"/>`;
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<defs><linearGradient id="sky" x1="0" y1="0" x2="${random().toFixed(2)}" y2="1">` +
    `<stop offset="0" stop-color="${colour()}"/><stop offset="1" stop-color="${colour()}"/></linearGradient></defs>` +
    `<rect width="100%" height="100%" fill="url(#sky)"/>${shapes.join('')}</svg>`
  );
}
