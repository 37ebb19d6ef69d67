'use client';

export function ThemeToggle() {
  const toggle = () => {
    const dark = document.documentElement.classList.toggle('dark');
    localStorage.setItem('torwatch-theme', dark ? 'dark' : 'light');
  };
  return (
    <button
      type="button"
      onClick={toggle}
      className="rounded-md px-3 py-2 text-left text-xs text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800"
    >
      Toggle dark mode
    </button>
  );
}
