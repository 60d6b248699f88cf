type Props = {
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
};

/** The search field above a list. */
export function SearchBox({ label, placeholder, value, onChange }: Props) {
  return (
    <input
      type="search"
      className="search"
      placeholder={placeholder}
      aria-label={label}
      value={value}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}
