// webpack loader for the live bundle's style sheets (imported as text): drops
// comments and the whitespace around punctuation, since every output carries
// them. Only for our own CSS in style/ (no strings with such characters).
module.exports = function minifyCss(source) {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/([^\s:]+):\s+/g, '$1:')
    .replace(/;}/g, '}')
    .trim();
};
