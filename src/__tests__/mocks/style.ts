/** jest stand-in for stylesheet imports. */
export default {};
