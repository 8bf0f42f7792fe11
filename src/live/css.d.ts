/** Style sheets imported as text by the live bundle (webpack's asset/source). */
declare module '*.css' {
  const text: string;
  export default text;
}
