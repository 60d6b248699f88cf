type Props = {
  label: string;
  /** The text of the empty option, which clears the filter. */
  allLabel: string;
  value: string | undefined;
  /** [value, text] pairs. */
  options: readonly (readonly [string, string])[];
  onChange: (value: string) => void;
};

/** An inline filter field: a labelled select whose first option means "no filter". */
export function FilterSelect({ label, allLabel, value, options, onChange }: Props) {
  return (
    <label className="field inline">
      <span>{label}</span>
      <select aria-label={label} value={value ?? ''} onChange={(event) => onChange(event.target.value)}>
        <option value="">{allLabel}</option>
        {options.map(([optionValue, text]) => (
          <option key={optionValue} value={optionValue}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}
