"""Search-engine and sharing metadata in the page's head, and the article's "Cite this" block.

``{% page_meta %}`` (the default in base.html), ``{% article_meta article %}`` and
``{% expert_meta expert %}`` render ``includes/seo.html`` from a ``PageMeta``
built in ``articles.seo``; ``{% cite_this article %}`` renders ``articles/_cite.html``.
"""

from django import template
from django.utils import timezone

from articles import citations, seo

register = template.Library()


def _page_number(context):
    page_obj = context.get("page_obj")
    return page_obj.number if page_obj is not None else None


@register.inclusion_tag("includes/seo.html", takes_context=True)
def page_meta(context, title=None, description=None):
    """Canonical URL (with ``?page=N`` past the first page), Open Graph and Twitter tags."""
    meta = seo.page_meta(
        context.get("request"),
        title=title,
        description=description,
        page_number=_page_number(context),
    )
    return {"meta": meta}


@register.inclusion_tag("includes/seo.html", takes_context=True)
def article_meta(context, article):
    """An article's tags: Open Graph article, JSON-LD NewsArticle and breadcrumbs, citations."""
    return {"meta": seo.article_meta(article, context.get("request"))}


@register.inclusion_tag("includes/seo.html", takes_context=True)
def expert_meta(context, expert):
    """An expert's page: JSON-LD Person besides the listing's tags."""
    meta = seo.expert_meta(expert, context.get("request"), page_number=_page_number(context))
    return {"meta": meta}


@register.filter
def json_ld(data):
    """``{{ data|json_ld }}``: a JSON-LD script element, escaped like ``json_script``."""
    return seo.json_ld_script(data)


@register.inclusion_tag("articles/_cite.html", takes_context=True)
def cite_this(context, article):
    """APA and Chicago references and the BibTeX and RIS downloads of ``article``."""
    citation = seo.article_citation(article, context.get("request"))
    accessed = timezone.localdate()
    return {
        "article": article,
        "apa": citations.apa(citation, accessed=accessed),
        "chicago": citations.chicago(citation, accessed=accessed),
        "downloadable": article.is_published(),
    }
