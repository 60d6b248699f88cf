import { useState } from 'react';

const copyWithSelection = (text: string): void => {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  document.execCommand('copy');
  area.remove();
};

/** Copies text to the clipboard; outside a secure context it falls back to a selection copy. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      if (navigator.clipboard && window.isSecureContext) await navigator.clipboard.writeText(text);
      else copyWithSelection(text);
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
    setTimeout(() => setCopied('idle'), 2500);
  };
  return (
    <button type="button" className="btn btn-secondary" onClick={copy} disabled={!text}>
      {label}
      {copied === 'copied' && <span className="copied"> ✓ Copied</span>}
      {copied === 'failed' && <span className="copied"> — copy failed, select the text instead</span>}
    </button>
  );
}
