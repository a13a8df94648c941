'use strict';
// Names the admin's autocomplete boxes (Select2) after their field, for screen readers.
// Select2 names its combobox after the chosen value only (nothing when empty), shows that value
// in an unnamed "textbox" and leaves the search box of a multiple choice unnamed (WCAG 4.1.2,
// axe: aria-input-field-name, label).
// The field's <label> (or, in a tabular inline row, the select's aria-label) supplies the name.
// A MutationObserver catches every box Select2 draws: at page load and in inline rows added
// later, whatever order the admin's scripts run in.
{
    function fieldLabel(select) {
        return select.id ? document.querySelector(`label[for="${select.id}"]`) : null;
    }

    function nameBox(container) {
        const select = container.previousElementSibling;
        if (!select || select.tagName !== 'SELECT') {
            return;
        }
        const label = fieldLabel(select);
        const name = (label ? label.textContent : select.getAttribute('aria-label') || '')
            .replace(/[:：]\s*$/, '').trim();
        if (!name) {
            return;
        }
        container.querySelectorAll('.select2-search__field').forEach(
            (search) => search.setAttribute('aria-label', name)
        );
        // The chosen value is shown in a span Select2 marks as a read-only textbox: a second,
        // unnamed field to a screen reader. It is only text, read as part of the combobox's
        // name below (later Select2 releases dropped this role too).
        container.querySelectorAll('.select2-selection__rendered[role="textbox"]').forEach(
            (shown) => {
                shown.removeAttribute('role');
                shown.removeAttribute('aria-readonly');
            }
        );
        container.querySelectorAll('[role="combobox"]').forEach((combobox) => {
            const shown = combobox.getAttribute('aria-labelledby');
            if (label && shown) {
                // Read as "<field> <chosen value>".
                label.id = label.id || `${select.id}_label`;
                combobox.setAttribute('aria-labelledby', `${label.id} ${shown}`);
            } else {
                combobox.setAttribute('aria-label', name);
            }
        });
    }

    function nameBoxesIn(root) {
        if (root.matches && root.matches('.select2-container')) {
            nameBox(root);
        }
        if (root.querySelectorAll) {
            root.querySelectorAll('.select2-container').forEach(nameBox);
        }
    }

    new MutationObserver((mutations) => {
        mutations.forEach((mutation) => mutation.addedNodes.forEach(nameBoxesIn));
    }).observe(document.documentElement, {childList: true, subtree: true});
    nameBoxesIn(document);
}
