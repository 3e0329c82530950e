"""What each page of the book computes, one module per page (``aibook.pages.ch3_industry_base`` for
``notebooks/ch3_industry_base.md``): the steps a chapter's cells call, each a tested function returning named
numbers, tables and figures, so that a page reads as a chapter. Rules of the whole book (loading, tables,
figures, the audit) live in their own modules; a page module only composes them."""
