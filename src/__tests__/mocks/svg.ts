/** jest stand-in for `.svg` imports (JupyterLab icons import SVG as text). */
export default '<svg xmlns="http://www.w3.org/2000/svg"></svg>';
