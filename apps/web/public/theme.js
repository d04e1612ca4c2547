// Runs before the page paints (a blocking script in <head>; a file, so the CSP needs no inline
// script): applies the theme chosen in the app (lib/theme.ts), so a dark choice never flashes light.
try {
  const theme = localStorage.getItem("parley-theme");
  if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
} catch (_) {
  // Storage refused (privacy mode): the system's theme applies.
}
