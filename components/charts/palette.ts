// Okabe–Ito: distinguishable with every common colour-vision deficiency, and legible on light and dark backgrounds.
export const OKABE_ITO = {
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
} as const;

export const SERIES = [
  OKABE_ITO.blue,
  OKABE_ITO.orange,
  OKABE_ITO.green,
  OKABE_ITO.vermillion,
  OKABE_ITO.purple,
  OKABE_ITO.skyBlue,
] as const;

export const CONFIDENCE_COLOURS: Record<string, string> = {
  high: OKABE_ITO.vermillion,
  medium: OKABE_ITO.orange,
  low: OKABE_ITO.skyBlue,
};
