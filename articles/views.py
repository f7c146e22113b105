from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import generic
from django.views.decorators.http import require_safe
from taggit.models import Tag

import pagecache
from articles import changes, citations, search, seo
from articles.models import Article, Category, Expert, SlugRedirect

TOP_NEWS_SLUG = "top-news"
TOP_NEWS_COUNT = 3
RECENT_COUNT = 5


class ListingPaginator(Paginator):
    """A paginator that counts a listing's articles once per content version.

    Counting a popular tag's thousands of articles costs more than the rest of
    its page; every page of the listing, and every reader, shares the count.
    """

    def __init__(self, *args, listing, **kwargs):
        super().__init__(*args, **kwargs)
        self.listing = listing

    @cached_property
    def count(self):
        return pagecache.remembered(
            f"count:{self.listing}",
            lambda: Paginator.count.func(self),
            topics=(pagecache.SITE, changes.ARTICLES),
        )


class PublishedArticlesMixin:
    """Listings start from the published articles, paginated with ``?page=N``.

    An unknown or out-of-range page is a 404 (ListView's own behaviour).
    """

    allow_empty = True
    paginator_class = ListingPaginator

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE

    def get_paginator(self, queryset, per_page, **kwargs):
        # The listing is named by its address, without the page number.
        return self.paginator_class(queryset, per_page, listing=self.request.path, **kwargs)

    def get_queryset(self):
        return Article.objects.published().for_listing()


class HomeView(PublishedArticlesMixin, generic.ListView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["page_obj"].number == 1:
            context["top_news"] = (
                Article.objects.published().in_category(TOP_NEWS_SLUG).for_listing()
            )[:TOP_NEWS_COUNT]
        else:
            context["top_news"] = []
        return context


class ArticleDetailView(generic.DetailView):
    template_name = "articles/article_detail.html"

    def get_queryset(self):
        queryset = Article.objects.all() if self.is_preview() else Article.objects.published()
        return queryset.for_listing().prefetch_related("tags")

    def is_preview(self):
        """Editors may see drafts and scheduled articles with ``?preview``."""
        return "preview" in self.request.GET and self.request.user.has_perm(
            "articles.change_article"
        )

    def get(self, request, *args, **kwargs):
        try:
            response = super().get(request, *args, **kwargs)
        except Http404:
            return self.redirect_from_old_slug(kwargs["slug"])
        if self.is_preview():
            response.headers["Cache-Control"] = "private, no-store"
            response.headers["X-Robots-Tag"] = "noindex"
        return response

    def redirect_from_old_slug(self, slug):
        """An earlier slug of a published article answers with a 301 to its address."""
        redirect = SlugRedirect.objects.select_related("article").filter(old_slug=slug).first()
        if redirect is None or not redirect.article.is_published():
            raise Http404
        return HttpResponsePermanentRedirect(redirect.article.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pagecache.shows(changes.article(self.object.pk))
        context["preview"] = not self.object.is_published()
        context["other_articles"] = self.other_articles()
        return context

    def other_articles(self):
        """The related articles, chosen once per version of the published articles."""
        article = self.object
        pks = pagecache.remembered(
            f"related:{article.pk}",
            lambda: Article.objects.related_pks(article, limit=RECENT_COUNT),
            topics=(pagecache.SITE, changes.ARTICLES),
        )
        found = Article.objects.only("title", "slug", "lead", "published_at").in_bulk(pks)
        return [found[pk] for pk in pks if pk in found]


CITATION_FORMATS = {
    "bib": (citations.bibtex, "application/x-bibtex; charset=utf-8"),
    "ris": (citations.ris, "application/x-research-info-systems; charset=utf-8"),
}


@require_safe
def citation_file(request, slug, file_format):
    """``/articles/<slug>/cite.bib`` and ``cite.ris``: the reference as a file to download."""
    article = get_object_or_404(
        Article.objects.published().for_listing().prefetch_related("tags"), slug=slug
    )
    write, content_type = CITATION_FORMATS[file_format]
    citation = seo.article_citation(article, request)
    text = write(citation, key=article.slug, accessed=timezone.localdate())
    response = HttpResponse(text, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{article.slug}.{file_format}"'
    return response


class CategoryView(PublishedArticlesMixin, generic.ListView):
    template_name = "articles/category.html"

    def get_queryset(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return super().get_queryset().filed_under(self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs)


class TagView(PublishedArticlesMixin, generic.ListView):
    template_name = "articles/tag.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().tagged(self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class ExpertView(PublishedArticlesMixin, generic.ListView):
    template_name = "articles/expert.html"

    def get_queryset(self):
        self.expert = get_object_or_404(Expert, slug=self.kwargs["slug"])
        return super().get_queryset().signed_by(self.expert)

    def get_context_data(self, **kwargs):
        return super().get_context_data(expert=self.expert, **kwargs)


class ArchiveMixin(PublishedArticlesMixin):
    date_field = "published_at"
    make_object_list = True
    allow_future = False
    allow_empty = False  # a period without articles is a 404


class YearArchiveView(ArchiveMixin, generic.YearArchiveView):
    template_name = "articles/archive_year.html"


class MonthArchiveView(ArchiveMixin, generic.MonthArchiveView):
    template_name = "articles/archive_month.html"
    month_format = "%m"


def search_results(request):
    """``/search/?q=words&page=N``: published articles matching the words, best first.

    Without words the page explains what to do. An unknown or out-of-range
    page is a 404, as in the listings.
    """
    query, truncated = search.clean_query(request.GET.get("q", ""))
    context = {
        "query": query,
        "truncated": truncated,
        "max_query_length": search.MAX_QUERY_LENGTH,
        "categories": [],
        "page_obj": None,
    }
    if query:
        articles = (
            Article.objects.published()
            .search(query)
            .for_listing()
            .defer("body", "body_text", "search_vector")
        )
        paginator = ListingPaginator(
            articles, settings.ARTICLES_PER_PAGE, listing=f"search {query}"
        )
        try:
            page = paginator.page(request.GET.get("page") or 1)
        except InvalidPage as error:
            raise Http404(_("There is no such page of results.")) from error
        page.object_list = search.add_snippets(page.object_list, query)
        context["page_obj"] = page
    else:
        context["categories"] = Category.objects.all()
    response = render(request, "articles/search.html", context)
    response.headers["X-Robots-Tag"] = "noindex"
    return response
