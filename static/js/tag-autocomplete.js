/*
 * The tag box of the article form.
 *
 * The form's tags field is taggit's comma-separated text input, and it stays
 * the field the form submits. This script hides it behind a Select2 box (the
 * one the admin ships) that suggests existing tags as the editor types and
 * takes new ones with Enter or a comma. Every change is written back into the
 * text input in taggit's notation, so without the script nothing changes.
 */
'use strict';
{
    const $ = django.jQuery;

    // taggit's notation: names joined by commas; a name with a comma or a
    // space is put in double quotes, so it stays one tag.
    function tagString(names) {
        return names.map((name) => (/[ ,]/.test(name) ? `"${name}"` : name)).join(', ');
    }

    // A double quote is taggit's quoting character: no name can hold one.
    function tagName(term) {
        return term.replace(/"/g, '').trim();
    }

    function enhance(input) {
        const select = document.createElement('select');
        select.multiple = true;
        select.id = `${input.id}_box`;
        for (const name of JSON.parse(input.dataset.tags || '[]')) {
            select.add(new Option(name, name, true, true));
        }
        input.after(select);
        input.hidden = true;

        const $select = $(select).select2({
            theme: 'admin-autocomplete',
            // Wider than the admin's other autocomplete boxes: names hold words.
            width: 'min(100%, 40em)',
            tags: true,
            tokenSeparators: [','],
            createTag: (params) => {
                const name = tagName(params.term);
                return name ? {id: name, text: name} : null;
            },
            ajax: {
                url: input.dataset.tagSuggestions,
                dataType: 'json',
                delay: 200,
                cache: true,
                data: (params) => ({term: params.term || ''}),
            },
        });
        $select.on('change', () => {
            input.value = tagString($select.val() || []);
        });

        // The field's label names the box's search field and, clicked, focuses it.
        const search = $select.data('select2').$container.find('.select2-search__field')[0];
        const label = input.labels && input.labels[0];
        if (label && search) {
            search.setAttribute('aria-label', label.textContent.replace(/:\s*$/, ''));
            label.addEventListener('click', (event) => {
                event.preventDefault();
                search.focus();
            });
        }
    }

    $(() => {
        document.querySelectorAll('input[data-tag-suggestions]').forEach(enhance);
    });
}
