from django.urls import path

from funds import views

app_name = "funds"

urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("ledger.csv", views.ledger_csv, name="export"),
    path("entries/<int:pk>/", views.entry_detail, name="entry"),
    path("entries/<int:pk>/reverse/", views.entry_reverse, name="entry_reverse"),
    path("entries/<int:pk>/erase-text/", views.entry_text_erase, name="entry_text_erase"),
    path("donations/new/", views.donation_new, name="donation"),
    path("expenses/new/", views.expense_new, name="expense"),
    path("transfers/new/", views.transfer_new, name="transfer"),
    path("exchanges/new/", views.exchange_new, name="exchange"),
    path("rates/", views.rates, name="rates"),
    path("readiness/", views.readiness, name="readiness"),
    path("commitments/new/", views.commitment_new, name="commit"),
]
